-- The tables as fupin_geo.data.store created them on main at commit d65a071
-- (before migrations): a bureau's existing database. postgresql dialect.
CREATE TABLE aquaculture (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	county_code VARCHAR NOT NULL, 
	geometry_wkt VARCHAR NOT NULL, 
	area_mu FLOAT NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (id, quarter)
);

CREATE TABLE city_stats (
	indicator VARCHAR NOT NULL, 
	value FLOAT NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (indicator, quarter)
);

CREATE TABLE cooperation_projects (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	work_area VARCHAR NOT NULL, 
	zj_county_code VARCHAR NOT NULL, 
	lz_county_code VARCHAR NOT NULL, 
	year BIGINT NOT NULL, 
	amount_wan FLOAT NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (id, quarter)
);

CREATE TABLE cooperatives (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	village_code VARCHAR NOT NULL, 
	lon FLOAT NOT NULL, 
	lat FLOAT NOT NULL, 
	members BIGINT NOT NULL, 
	poor_members BIGINT NOT NULL, 
	is_poverty_coop BOOLEAN NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (id, quarter)
);

CREATE TABLE enterprises (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	level VARCHAR NOT NULL, 
	industry VARCHAR NOT NULL, 
	county_code VARCHAR NOT NULL, 
	lon FLOAT NOT NULL, 
	lat FLOAT NOT NULL, 
	is_processing BOOLEAN NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (id, quarter)
);

CREATE TABLE linkages (
	source_type VARCHAR NOT NULL, 
	source_id VARCHAR NOT NULL, 
	village_code VARCHAR NOT NULL, 
	link_type VARCHAR NOT NULL, 
	households BIGINT NOT NULL, 
	poor_households BIGINT NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (source_type, source_id, village_code, link_type, quarter)
);

CREATE TABLE pairings (
	zj_county_code VARCHAR NOT NULL, 
	lz_county_code VARCHAR NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (zj_county_code, quarter)
);

CREATE TABLE park_villages (
	park_id VARCHAR NOT NULL, 
	village_code VARCHAR NOT NULL, 
	agreement_signed BOOLEAN NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (park_id, village_code, quarter)
);

CREATE TABLE parks (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	level VARCHAR NOT NULL, 
	product VARCHAR NOT NULL, 
	county_code VARCHAR NOT NULL, 
	lon FLOAT NOT NULL, 
	lat FLOAT NOT NULL, 
	year BIGINT NOT NULL, 
	lead_enterprises VARCHAR, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (id, quarter)
);

CREATE TABLE products (
	village_code VARCHAR NOT NULL, 
	product VARCHAR NOT NULL, 
	category VARCHAR NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (village_code, product, quarter)
);

CREATE TABLE town_industries (
	town_code VARCHAR NOT NULL, 
	county_code VARCHAR NOT NULL, 
	industry VARCHAR NOT NULL, 
	category VARCHAR NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (town_code, quarter)
);

CREATE TABLE villages (
	code VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	county_code VARCHAR NOT NULL, 
	town_code VARCHAR NOT NULL, 
	lon FLOAT NOT NULL, 
	lat FLOAT NOT NULL, 
	position_quality VARCHAR NOT NULL, 
	households BIGINT NOT NULL, 
	poor_households BIGINT NOT NULL, 
	poor_people BIGINT NOT NULL, 
	poor_households_in_coop BIGINT NOT NULL, 
	labour_households BIGINT NOT NULL, 
	labour_households_in_project BIGINT NOT NULL, 
	poor_labourers BIGINT NOT NULL, 
	trained_labourers BIGINT NOT NULL, 
	toilet_rate FLOAT NOT NULL, 
	clean_village BOOLEAN NOT NULL, 
	model_village BOOLEAN NOT NULL, 
	irrigation_project BOOLEAN NOT NULL, 
	quarter VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (code, quarter)
);

